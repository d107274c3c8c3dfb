import type { ActiveStepView } from '../../common/matter';
import { MARKER, markerDiff, markersFor, type Marker } from '../../ui/src/logic/markers';
import { noticeWindows } from '../../common/notice-windows';

function active(id: string, phase: ActiveStepView['phase'] = 'open'): ActiveStepView {
  return {
    id,
    name: { zh: id, en: id },
    kind: 'meeting',
    roles: ['director'],
    phase,
    since: '2026-03-01T00:00:00.000Z',
    actions: ['record'],
    recused: [],
  };
}

const sorted = (markers: Marker[]) => [...markers].sort((a, b) => `${a.id}${a.cls}`.localeCompare(`${b.id}${b.cls}`));

describe('UI: markers from a matter view', () => {
  test('given done steps, an active step and taken flows, then each gets its class', () => {
    const markers = markersFor({
      status: 'running',
      activeSteps: [active('deliberate')],
      completedSteps: ['propose'],
      takenFlows: ['flow-start-propose', 'flow-propose-deliberate'],
    });
    expect(sorted(markers)).toEqual(
      sorted([
        { id: 'propose', cls: MARKER.done },
        { id: 'deliberate', cls: MARKER.active },
        { id: 'flow-start-propose', cls: MARKER.flow },
        { id: 'flow-propose-deliberate', cls: MARKER.flow },
      ]),
    );
  });

  test('given a step sent back for revision, then it shows as active only, not also as done', () => {
    const markers = markersFor({
      status: 'running',
      activeSteps: [active('propose')],
      completedSteps: ['propose', 'deliberate', 'propose'],
      takenFlows: [],
    });
    expect(markers.filter((m) => m.id === 'propose')).toEqual([{ id: 'propose', cls: MARKER.active }]);
    expect(markers).toContainEqual({ id: 'deliberate', cls: MARKER.done });
  });

  test('given a suspended matter and a record awaiting its witness, then the active step says so', () => {
    const markers = markersFor({
      status: 'suspended',
      activeSteps: [active('deliberate', 'awaiting-witness')],
      completedSteps: [],
      takenFlows: [],
    });
    expect(markers).toEqual([
      { id: 'deliberate', cls: MARKER.active },
      { id: 'deliberate', cls: MARKER.suspended },
      { id: 'deliberate', cls: MARKER.witness },
    ]);
  });

  test('given the graph, then the gateways passed and the end reached are marked done, user steps only by the record', () => {
    const node = (id: string, type: string) => ({ id, type, name: { zh: id, en: id }, incoming: [], outgoing: [] });
    const graph = {
      nodes: {
        start: node('start', 'startEvent'),
        resolve: node('resolve', 'userTask'),
        gate: node('gate', 'exclusiveGateway'),
        'end-rejected': node('end-rejected', 'endEvent'),
      },
      flows: {
        f1: { id: 'f1', source: 'start', target: 'resolve' },
        f2: { id: 'f2', source: 'resolve', target: 'gate' },
        f3: { id: 'f3', source: 'gate', target: 'end-rejected' },
      },
    } as unknown as Parameters<typeof markersFor>[1];
    const markers = markersFor(
      { status: 'ended', activeSteps: [], completedSteps: ['resolve'], takenFlows: ['f1', 'f2', 'f3'] },
      graph,
    );
    expect(
      markers
        .filter((m) => m.cls === MARKER.done)
        .map((m) => m.id)
        .sort(),
    ).toEqual(['end-rejected', 'gate', 'resolve', 'start']);
  });

  test('given markers drawn and markers wanted, then the diff adds and removes only what changed', () => {
    const drawn = [
      { id: 'propose', cls: MARKER.active },
      { id: 'flow-a', cls: MARKER.flow },
    ];
    const wanted = [
      { id: 'propose', cls: MARKER.done },
      { id: 'deliberate', cls: MARKER.active },
      { id: 'flow-a', cls: MARKER.flow },
    ];
    expect(markerDiff(drawn, wanted)).toEqual({
      add: [
        { id: 'propose', cls: MARKER.done },
        { id: 'deliberate', cls: MARKER.active },
      ],
      remove: [{ id: 'propose', cls: MARKER.active }],
    });
    expect(markerDiff(wanted, wanted)).toEqual({ add: [], remove: [] });
  });
});

describe('UI: notices and their windows', () => {
  const now = Date.parse('2026-03-10T00:00:00Z');

  test('given a notice up now, then its end comes from the step window and it is current', () => {
    const step = { ...active('disclose-resolution'), windowEndsAt: '2026-03-17T00:00:00.000Z' };
    expect(
      noticeWindows(
        { notices: [{ step: 'disclose-resolution', publishedAt: '2026-03-09T00:00:00Z' }], activeSteps: [step] },
        now,
      ),
    ).toEqual([
      {
        step: 'disclose-resolution',
        publishedAt: '2026-03-09T00:00:00Z',
        endsAt: '2026-03-17T00:00:00.000Z',
        current: true,
      },
    ]);
  });

  test('given a notice whose window ended, then it keeps its end date and is no longer current', () => {
    const notices = [{ step: 'disclose-result', publishedAt: '2026-03-01T00:00:00Z', endsAt: '2026-03-08T00:00:00Z' }];
    expect(noticeWindows({ notices, activeSteps: [] }, now)).toEqual([{ ...notices[0], current: false }]);
  });

  test('given a notice whose step is no longer active and no end recorded, then it is not current', () => {
    const notices = [{ step: 'disclose-result', publishedAt: '2026-03-01T00:00:00Z' }];
    expect(noticeWindows({ notices, activeSteps: [] }, now)[0]?.current).toBe(false);
  });
});
