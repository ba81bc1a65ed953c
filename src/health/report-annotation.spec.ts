import { Test } from '@nestjs/testing';
import { Injectable } from '@nestjs/common';
import { annotate, provideReportAnnotations, REPORT_ANNOTATIONS, type ReportAnnotation } from './report-annotation';

/** An annotation whose value the test sets. */
function fake(key: string, value?: object): ReportAnnotation {
  return { key, valueAt: () => value, noteOf: () => `${key} note`, schema: { type: 'object' } };
}

describe('annotate', () => {
  it('adds nothing while no annotation has a value, so the cached report is sent as it is', () => {
    expect(annotate([], 0)).toBeUndefined();
    expect(annotate([fake('maintenance')], 0)).toBeUndefined();
  });

  it('adds each value under its key, with its note, in registration order', () => {
    const annotations = [fake('maintenance', { until: 'x' }), fake('idle'), fake('region', { name: 'eu' })];
    expect(annotate(annotations, 0)).toEqual({
      fields: { maintenance: { until: 'x' }, region: { name: 'eu' } },
      notes: ['maintenance note', 'region note'],
    });
  });

  it('asks each annotation at the time it is given', () => {
    const valueAt = jest.fn(() => undefined);
    annotate([{ ...fake('maintenance'), valueAt }], 1234);
    expect(valueAt).toHaveBeenCalledWith(1234);
  });
});

describe('provideReportAnnotations', () => {
  @Injectable()
  class Status implements ReportAnnotation {
    readonly key: string = 'status';
    readonly schema = {};
    valueAt = () => undefined;
    noteOf = () => '';
  }

  it('stops the start when an annotation would take one of the report’s own keys', async () => {
    const module = Test.createTestingModule({ providers: provideReportAnnotations([{ annotation: Status }]) });
    await expect(module.compile()).rejects.toThrow('report annotation "status" clashes with another key of the report');
  });

  it('provides the annotations that no module provides, in order', async () => {
    @Injectable()
    class Maintenance extends Status {
      override readonly key = 'maintenance';
    }
    const module = await Test.createTestingModule({
      providers: provideReportAnnotations([{ annotation: Maintenance }]),
    }).compile();
    expect(module.get<ReportAnnotation[]>(REPORT_ANNOTATIONS).map(({ key }) => key)).toEqual(['maintenance']);
  });
});
