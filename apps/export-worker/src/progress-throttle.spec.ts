import { ProgressThrottle } from './progress-throttle';

describe('ProgressThrottle', () => {
  it('writes the first value at once, then at most one forward value per interval', async () => {
    let now = 0;
    const written: number[] = [];
    const throttle = new ProgressThrottle(async (percent) => void written.push(percent), 1_000, () => now);
    throttle.report(5);
    throttle.report(12.7);
    now = 500;
    throttle.report(30);
    now = 1_000;
    throttle.report(40.9);
    throttle.report(41);
    now = 2_500;
    throttle.report(35);
    throttle.report(60);
    await throttle.settled();
    expect(written).toEqual([5, 40, 60]);
  });

  it('drops a failed write without failing the render, and keeps writing afterwards', async () => {
    let now = 0;
    const written: number[] = [];
    const throttle = new ProgressThrottle(async (percent) => {
      if (percent === 10) throw new Error('connection reset');
      written.push(percent);
    }, 1_000, () => now);
    throttle.report(10);
    now = 2_000;
    throttle.report(50);
    await expect(throttle.settled()).resolves.toBeUndefined();
    expect(written).toEqual([50]);
  });

  it('never runs two writes at once', async () => {
    let now = 0;
    let running = 0;
    let overlap = false;
    const throttle = new ProgressThrottle(async () => {
      running++;
      overlap ||= running > 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    }, 10, () => now);
    for (let step = 1; step <= 5; step++) {
      now += 20;
      throttle.report(step * 10);
    }
    await throttle.settled();
    expect(overlap).toBe(false);
  });
});
