import { profileInlineRows } from '@amc-reports/result-profile';
import { packProfile, unpackProfile } from '@amc-reports/contracts';
import { isDeepStrictEqual } from 'node:util';
const COLUMNS = ['campaign', 'ad_product_type', 'impressions', 'clicks', 'detail_page_view', 'add_to_cart', 'purchases', 'product_sales'];
const scale=1.1;
const rows= Array.from({ length: 200 }, (_, i) => [`Campaign_${i}`, i % 2 ? 'SPONSORED_PRODUCTS' : 'DSP', Math.round((10_000 + i * 7) * scale),
    Math.round((300 + (i % 50)) * scale), 120 + (i % 30), 40 + (i % 20), Math.round((10 + (i % 9)) * scale), Math.round((250.5 + i) * scale * 100) / 100]);
(async()=>{
const p:any = await (profileInlineRows as any)(COLUMNS, rows);
const s=JSON.stringify(p); const packed=JSON.stringify(packProfile(p)); console.log('full',s.length,'packed',packed.length, 'roundtrip', isDeepStrictEqual(unpackProfile(JSON.parse(packed)), p));
for (const [name, text] of [['full', s], ['packed', packed]]) {
  (global as any).gc?.(); const h0=process.memoryUsage().heapUsed; const keep=[]; for(let i=0;i<200;i++) keep.push(JSON.parse(text)); (global as any).gc?.(); console.log(name, 'heap per parsed KB', ((process.memoryUsage().heapUsed-h0)/200/1024).toFixed(0), keep.length);
  const t=process.hrtime.bigint(); for(let i=0;i<200;i++) JSON.parse(text); console.log(name,'parse ms', (Number(process.hrtime.bigint()-t)/1e6/200).toFixed(3));
}
const pk=JSON.parse(packed); const t=process.hrtime.bigint(); const copies=Array.from({length:200},()=>JSON.parse(packed)); const t0=process.hrtime.bigint(); for(const c of copies) unpackProfile(c); console.log("unpack in place ms", (Number(process.hrtime.bigint()-t0)/1e6/200).toFixed(3)); console.log('unpack ms', (Number(process.hrtime.bigint()-t)/1e6/200).toFixed(3));
})();
