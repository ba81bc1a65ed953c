import type { SeriesPoint, SeriesUpdate, SeriesWindowDto } from '../dto/history.dto';

/** What the page keeps: each check's points and the window the service says they cover. */
interface Kept {
  series: Record<string, SeriesPoint[]>;
  window: SeriesWindowDto | null;
}

interface SeriesModule {
  fromHistory(history: { series: Record<string, SeriesPoint[]>; series_window: SeriesWindowDto }): Kept;
  applySeriesUpdate(kept: Kept, update: SeriesUpdate): void;
  chartRange(points: SeriesPoint[], window: SeriesWindowDto | null): { start: number; end: number };
  chartScale(
    points: SeriesPoint[],
    window: SeriesWindowDto | null,
  ): { start: number; end: number; width: number; x(t: number): number };
}

/** The real series.js, a browser ES module (jest compiles the page's modules to CommonJS, see jest.config.js). */
const { fromHistory, applySeriesUpdate, chartRange, chartScale } = jest.requireActual<SeriesModule>('./series.js');

const WINDOW_MS = 15 * 60_000;
// The service's clock, an hour behind the machine running the test: the page must not care.
const T0 = Date.now() - 3_600_000;
const windowAt = (now: number): SeriesWindowDto => ({ from: now - WINDOW_MS, to: now });

function history(points: SeriesPoint[], now: number) {
  return fromHistory({ series: { database: points.map((p) => [...p] as SeriesPoint) }, series_window: windowAt(now) });
}

describe('series.js, the status page series', () => {
  it('ignores a series event older than the history it already has (a history answered after that evaluation)', () => {
    const kept = history(
      [
        [T0 - 1000, 2, 'ok'],
        [T0, 3, 'ok'],
      ],
      T0 + 10,
    );
    // The event of the evaluation at T0 - 1000 arrives after the history answered at T0 + 10.
    applySeriesUpdate(kept, { window: windowAt(T0 - 1000), points: { database: [T0 - 1000, 2, 'ok'] }, replaced: [] });
    expect(kept.series.database).toEqual([
      [T0 - 1000, 2, 'ok'],
      [T0, 3, 'ok'],
    ]);
    expect(kept.window).toEqual(windowAt(T0 + 10));
    const { end } = chartRange(kept.series.database, kept.window);
    expect(kept.series.database.every(([t]) => t <= end)).toBe(true);
  });

  it('keeps the series and the window of the history answer as they are', () => {
    const kept = history([[T0, 2, 'ok']], T0 + 500);
    expect(kept).toEqual({ series: { database: [[T0, 2, 'ok']] }, window: windowAt(T0 + 500) });
  });

  it('appends a new point, or puts it in place of the newest where the service says it replaced it', () => {
    const kept = history([[T0, 2, 'ok']], T0);
    applySeriesUpdate(kept, {
      window: windowAt(T0 + 400),
      points: { database: [T0 + 400, 3, 'ok'], cache: [T0 + 400, 1, 'ok'] },
      replaced: ['database'],
    });
    applySeriesUpdate(kept, {
      window: windowAt(T0 + 1200),
      points: { database: [T0 + 1200, 1000, 'error'], cache: [T0 + 1200, 1, 'ok'] },
      replaced: [],
    });
    expect(kept.series).toEqual({
      database: [
        [T0 + 400, 3, 'ok'],
        [T0 + 1200, 1000, 'error'],
      ],
      cache: [
        [T0 + 400, 1, 'ok'],
        [T0 + 1200, 1, 'ok'],
      ],
    });
    expect(kept.window).toEqual(windowAt(T0 + 1200));
  });

  it("drops the points at or before the start of the service's window, whatever the browser's clock says", () => {
    const kept = history(
      [
        [T0, 2, 'ok'],
        [T0 + 1000, 3, 'ok'],
        [T0 + 2000, 4, 'ok'],
      ],
      T0 + 2000,
    );
    applySeriesUpdate(kept, {
      window: windowAt(T0 + 1000 + WINDOW_MS),
      points: { database: [T0 + 1000 + WINDOW_MS, 5, 'ok'] },
      replaced: [],
    });
    expect(kept.series.database).toEqual([
      [T0 + 2000, 4, 'ok'],
      [T0 + 1000 + WINDOW_MS, 5, 'ok'],
    ]);
  });

  it("spans a chart over the service's window, or from the first point when there is less, at least 30 s", () => {
    const now = T0 + WINDOW_MS * 2;
    expect(chartRange([[now - WINDOW_MS + 1, 2, 'ok']], windowAt(now))).toEqual({
      start: now - WINDOW_MS + 1,
      end: now,
    });
    // Never before the window, even with a point the page has not dropped yet.
    expect(chartRange([[now - WINDOW_MS - 5000, 2, 'ok']], windowAt(now))).toEqual({
      start: now - WINDOW_MS,
      end: now,
    });
    expect(chartRange([[now - 60_000, 2, 'ok']], windowAt(now))).toEqual({ start: now - 60_000, end: now });
    expect(chartRange([[now - 1000, 2, 'ok']], windowAt(now))).toEqual({ start: now - 30_000, end: now });
    expect(chartRange([], windowAt(now))).toEqual({ start: now - 30_000, end: now });
    // A point newer than the window (the window of an earlier answer) still ends inside the chart.
    expect(chartRange([[now + 1000, 2, 'ok']], windowAt(now))).toEqual({ start: now + 1000 - 30_000, end: now + 1000 });
    // Before the service has said anything there are no points to place: an empty chart of 30 s.
    expect(chartRange([], null)).toEqual({ start: 0, end: 30_000 });
  });

  it('draws every point of the span inside the chart, the newest at its right edge (within the grid), in hundredths of a second', () => {
    const now = T0 + WINDOW_MS * 2;
    // 30.937 s from the first point to the newest (a series older than 30 s spans from its first point): the newest
    // point rounded to the grid is 30.94, past a width of 30.937, so the width is rounded up with it.
    for (const spanMs of [30_937, 30_935, 30_001, 30_000, 45_678, WINDOW_MS - 1]) {
      const points: SeriesPoint[] = Array.from({ length: 50 }, (_, i) => [
        now - spanMs + Math.round((spanMs * i) / 49),
        2,
        'ok',
      ]);
      const { width, x } = chartScale(points, windowAt(now));
      expect(width).toBeGreaterThanOrEqual(spanMs / 1000);
      expect(width - spanMs / 1000).toBeLessThan(0.01);
      const xs = points.map(([t]) => x(t));
      expect(xs.filter((place) => place < 0 || place > width)).toEqual([]);
      expect(xs[0]).toBe(0);
      // At most one hundredth (of the grid) short of the edge.
      expect([0, 1]).toContain(Math.round((width - xs.at(-1)!) * 100));
      expect(xs.map(String).filter((place) => !/^\d+(\.\d{1,2})?$/.test(place))).toEqual([]);
    }
    expect(
      chartScale(
        [
          [now - 30_937, 2, 'ok'],
          [now, 3, 'ok'],
        ],
        windowAt(now),
      ),
    ).toMatchObject({ width: 30.94 });
  });
});
