import { BarChart, FunnelChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent, DatasetComponent, DataZoomComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only what libs/charts' options use: the bundle stays a fraction of full ECharts. SVG, like the
// export worker's server-side rendering, so the page and the PDF draw the same vectors.
echarts.use([
  LineChart, BarChart, PieChart, FunnelChart, ScatterChart,
  GridComponent, TooltipComponent, LegendComponent, DatasetComponent, DataZoomComponent, TitleComponent, AriaComponent,
  SVGRenderer,
]);

export { echarts };
export type ChartInstance = ReturnType<typeof echarts.init>;
