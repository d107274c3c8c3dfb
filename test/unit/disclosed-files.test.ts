import { disclosedFiles } from '../../common/disclosed-files';
import type { MatterView } from '../../common/matter';
import { buildGraph } from '../helpers/graph-builder';

/** 一事一公开: the files a notice shows are those recorded before it went up, nothing after. */

const graph = buildGraph(
  {
    start: { type: 'startEvent' },
    appraisal: {
      type: 'userTask',
      step: {
        kind: 'record',
        roles: ['committee'],
        fields: [{ name: 'reportHash', type: 'hash', label: { zh: '评估报告', en: 'Report' }, required: true }],
      },
    },
    contract: {
      type: 'userTask',
      step: {
        kind: 'record',
        roles: ['committee'],
        fields: [{ name: 'contractHash', type: 'hash', label: { zh: '合同', en: 'Contract' }, required: true }],
      },
    },
    done: { type: 'endEvent', outcome: 'completed' },
  },
  [
    ['f1', 'start', 'appraisal'],
    ['f2', 'appraisal', 'contract'],
    ['f3', 'contract', 'done'],
  ],
);
const [REPORT, MINUTES, CONTRACT] = ['a', 'b', 'c'].map((c) => c.repeat(64)) as [string, string, string];
const entry = (seq: number, at: string, step: string, action: string, data: Record<string, unknown>) =>
  ({ seq, at, userId: 'u', role: 'committee', step, action, data }) as MatterView['record'][number];
const record = [
  entry(1, '2026-03-01T01:00:00Z', 'appraisal', 'submit', { reportHash: REPORT }),
  entry(2, '2026-03-02T01:00:00Z', 'resolve', 'record', { minutesHash: MINUTES }),
  entry(3, '2026-03-09T01:00:00Z', 'contract', 'submit', { contractHash: CONTRACT }),
];

describe('the files the notices disclose', () => {
  test('no notice yet: no file is public', () => {
    expect(disclosedFiles({ record, notices: [] }, graph)).toEqual(new Set());
  });

  test('files recorded before a notice went up are public (meeting minutes too); one recorded after is not', () => {
    const notices = [{ step: 'plan-disclosure', publishedAt: '2026-03-02T02:00:00Z' }] as MatterView['notices'];
    expect(disclosedFiles({ record, notices }, graph)).toEqual(new Set([REPORT, MINUTES]));
  });

  test('a later notice discloses what was recorded before it', () => {
    const notices = [
      { step: 'plan-disclosure', publishedAt: '2026-03-02T02:00:00Z' },
      { step: 'result-disclosure', publishedAt: '2026-03-10T02:00:00Z' },
    ] as MatterView['notices'];
    expect(disclosedFiles({ record, notices }, graph)).toEqual(new Set([REPORT, MINUTES, CONTRACT]));
  });
});
