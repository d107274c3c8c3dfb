import { randomUUID } from 'node:crypto';
import { chinaDate } from '../../common/china-date';
import { MATTER_WORKFLOW, type MatterInput } from '../../common/matter';
import { MatterSearchAttributes } from '../../common/search-attributes';
import { where } from '../../common/visibility-query';
import { rolesServed } from '../../stores/read-model';
import { bareStep } from './bare-workflow';
import { load, percentile, processCpuMs, startStack, villageId, type Stack } from './stack';

/**
 * The service sections of `npm run bench`: `actions` (this service through its API beside a bare
 * Temporal workflow taking as many updates through a bare client, same server, interleaved, at 1, 8
 * and 32 clients) and `scale` (`--open=1000,5000,20000`: open matters across 100 villages, then the
 * task list, board and matter list at 8 clients, with the worker's memory and the database size).
 */

export interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const APPLICATION = {
  payee: '罗江区建材经营部',
  payeeKind: 'organisation',
  purpose: '村委会办公室维修材料费',
  invoiceCount: 1,
  invoicesHash: 'a'.repeat(64),
};

/** Fund approval's shortest path (at most the director's limit): 6 updates after the start. */
const PATH: { step: string; action: string; role: string; data?: Record<string, unknown> }[] = [
  { step: 'apply', action: 'submit', role: 'accountant', data: { ...APPLICATION, amount: 800 } },
  { step: 'supervisor-review', action: 'approve', role: 'supervisor' },
  { step: 'director-sign', action: 'approve', role: 'director' },
  { step: 'secretary-sign', action: 'approve', role: 'secretary' },
  { step: 'town-review', action: 'approve', role: 'town' },
  { step: 'payment', action: 'submit', role: 'accountant', data: { transferReference: 'TR-1', paidOn: '2026-03-10' } },
];

/** One matter through the API: started, then the path; returns each update's latency. */
async function serviceMatter(stack: Stack, village: string): Promise<number[]> {
  const who = (role: string) => `${village}-${role}`;
  const start = await stack.as(who('accountant'));
  const started = (await start('POST', '/api/matters', {
    procedureId: 'fund-approval',
    village,
    title: '办公室维修',
  })) as { id: string };
  // Each matter pays its own payee: with one payee for all, every payment after the first in a village
  // would be a split payment (化整为零) resting on all the ones before, its check and its warning
  // growing with the length of the run. The check still runs for each matter; it finds no others.
  const payee = `${APPLICATION.payee}${started.id.slice(-8)}`;
  const times: number[] = [];
  for (const step of PATH) {
    const as = await stack.as(who(step.role));
    const data = step.data && 'payee' in step.data ? { ...step.data, payee } : step.data;
    const t0 = performance.now();
    await as(
      'POST',
      `/api/matters/${started.id}/actions`,
      { step: step.step, action: step.action, ...(data ? { data } : {}) },
      randomUUID(),
    );
    times.push(performance.now() - t0);
  }
  return times;
}

/** The yardstick: a bare workflow started and given as many updates, through a bare client. */
async function bareMatter(stack: Stack): Promise<number[]> {
  const handle = await stack.client.workflow.start('bare', {
    taskQueue: stack.bareTaskQueue,
    workflowId: `bare-${randomUUID()}`,
    args: [PATH.length],
  });
  const times: number[] = [];
  for (const step of PATH) {
    const t0 = performance.now();
    await handle.executeUpdate(bareStep, {
      args: [{ step: step.step, data: step.data ?? {} }],
      updateId: randomUUID(),
    });
    times.push(performance.now() - t0);
  }
  await handle.result();
  return times;
}

/** CPU ms by process: the Temporal dev server, this process (the API and the bench's clients), the worker. */
interface CpuSplit {
  server: number;
  api: number;
  worker: number;
}

interface Round {
  updates: number;
  seconds: number;
  latencies: number[];
  cpu: CpuSplit;
  load: number;
}

async function round(
  clients: number,
  perClient: number,
  one: (client: number) => Promise<number[]>,
  cpu: () => Promise<CpuSplit>,
): Promise<Round> {
  const cpu0 = await cpu();
  const t0 = performance.now();
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < perClient; i++) latencies.push(...(await one(c)));
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = await cpu();
  return {
    updates: latencies.length,
    seconds,
    latencies,
    cpu: { server: cpu1.server - cpu0.server, api: cpu1.api - cpu0.api, worker: cpu1.worker - cpu0.worker },
    load: load(),
  };
}

export async function actionsSection(options: { runs: number }): Promise<Row[]> {
  const stack = await startStack({ villages: 32, bare: true });
  try {
    const cpu = async (): Promise<CpuSplit> => {
      const self = process.cpuUsage();
      return {
        server: processCpuMs(stack.server.pid),
        api: (self.user + self.system) / 1000,
        worker: (await stack.workerUsage()).cpuMs,
      };
    };
    // warm both paths (catalog compile, bundle modules, connections)
    await serviceMatter(stack, villageId(0));
    await bareMatter(stack);
    const rows: Row[] = [];
    for (const clients of [1, 8, 32]) {
      const perClient = clients === 1 ? 6 : clients === 8 ? 3 : 1;
      const service: Round[] = [];
      const bare: Round[] = [];
      // interleaved: service, bare, service, bare … so both meet the same machine
      for (let r = 0; r < Math.max(2, Math.min(options.runs, 3)); r++) {
        service.push(await round(clients, perClient, (c) => serviceMatter(stack, villageId(c)), cpu));
        bare.push(await round(clients, perClient, () => bareMatter(stack), cpu));
      }
      const sum = (rs: Round[]) => {
        const updates = rs.reduce((n, r) => n + r.updates, 0);
        const per = (p: keyof CpuSplit) => rs.reduce((n, r) => n + r.cpu[p], 0) / updates;
        return {
          perSecond: updates / rs.reduce((n, r) => n + r.seconds, 0),
          p50: percentile(
            rs.flatMap((r) => r.latencies),
            50,
          ),
          p99: percentile(
            rs.flatMap((r) => r.latencies),
            99,
          ),
          cpuPerAction: per('server') + per('api') + per('worker'),
          cpuSplit: { server: per('server'), api: per('api'), worker: per('worker') },
          load: Math.max(...rs.map((r) => r.load)),
        };
      };
      const s = sum(service);
      const b = sum(bare);
      const note = (x: ReturnType<typeof sum>) =>
        `p50 ${Math.round(x.p50)} ms, p99 ${Math.round(x.p99)} ms, CPU ${x.cpuPerAction.toFixed(1)} ms/action, load ${x.load}`;
      rows.push(
        { name: `${clients} clients: service actions/s`, value: round1(s.perSecond), unit: '/s', note: note(s) },
        { name: `${clients} clients: bare workflow updates/s`, value: round1(b.perSecond), unit: '/s', note: note(b) },
        {
          name: `${clients} clients: service ÷ bare`,
          value: round2(s.perSecond / b.perSecond),
          unit: '×',
          note: `action p99 ${round2(s.p99 / b.p99)}× raw; CPU ${round2(s.cpuPerAction / b.cpuPerAction)}× raw`,
        },
        ...(['server', 'api', 'worker'] as const).map((p) => ({
          name: `${clients} clients: CPU per action, ${CPU_PROCESS[p]}`,
          value: round1(s.cpuSplit[p]),
          unit: 'ms',
          note: `bare workflow ${round1(b.cpuSplit[p])} ms (${round2(s.cpuSplit[p] / b.cpuSplit[p])}×), load ${Math.max(s.load, b.load)}`,
        })),
      );
    }
    return rows;
  } finally {
    await stack.stop();
  }
}

const CPU_PROCESS: Record<keyof CpuSplit, string> = {
  server: 'Temporal dev server',
  api: 'API process (with the bench clients)',
  worker: 'worker',
};

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Open matters, started straight with the client (the same workflow and input the API would give:
 * the catalog's graph, the memo, the search attributes): through the API 20,000 starts would take
 * most of an hour here. Half fund approvals, half major decisions, spread over the villages.
 */
async function seed(stack: Stack, from: number, to: number, villages: number): Promise<void> {
  const today = chinaDate();
  const graphs = await Promise.all(
    ['fund-approval', 'major-decision'].map(async (id) => {
      const found = await stack.catalog.current(id, today);
      if (!found) throw new Error(`no procedure ${id}`);
      return found.graph;
    }),
  );
  let next = from;
  const startOne = async () => {
    while (next < to) {
      const i = next++;
      const village = villageId(i % villages);
      const graph = graphs[i % 2];
      if (!graph) throw new Error('no graph');
      const starter = graph.id === 'fund-approval' ? 'accountant' : 'secretary';
      const matterId = `matter-seed-${i}`;
      const title = `事项 ${i}`;
      const input: MatterInput = {
        graph,
        matterId,
        village,
        title,
        initiator: { userId: `${village}-${starter}`, role: starter, name: `${village}${starter}` },
        links: [],
      };
      await stack.client.workflow.start(MATTER_WORKFLOW, {
        taskQueue: stack.taskQueue,
        workflowId: matterId,
        args: [input],
        memo: { title, startedAt: new Date().toISOString() },
        typedSearchAttributes: [
          { key: MatterSearchAttributes.village, value: village },
          { key: MatterSearchAttributes.procedure, value: graph.id },
          { key: MatterSearchAttributes.status, value: 'running' },
        ],
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, startOne));
  // until every one has run its first task and published its summary
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    const { count } = await stack.client.workflow.count(
      `WorkflowType = '${MATTER_WORKFLOW}' AND ${MatterSearchAttributes.waitingOn.name} IS NOT NULL`,
    );
    if (count >= to) return;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${to} matters published their summary`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

export async function scaleSection(options: { open: number[]; villages?: number }): Promise<Row[]> {
  const villages = options.villages ?? 100;
  const stack = await startStack({ villages });
  const rows: Row[] = [];
  try {
    await (
      await stack.as(`${villageId(0)}-secretary`)
    )('GET', '/api/me/tasks');
    const before = await stack.workerUsage();
    rows.push({
      name: 'worker at rest: RSS',
      value: Math.round(before.rss / 2 ** 20),
      unit: 'MiB',
      note: `heap ${Math.round(before.heapUsed / 2 ** 20)} MiB, cache ${before.maxCachedWorkflows} matters, load ${load()}`,
    });
    let seeded = 0;
    for (const open of [...options.open].sort((a, b) => a - b)) {
      const t0 = performance.now();
      await seed(stack, seeded, open, villages);
      const seedSeconds = (performance.now() - t0) / 1000;
      const added = open - seeded;
      const usage = await stack.workerUsage();
      const cached = Math.min(open, usage.maxCachedWorkflows);
      rows.push(
        {
          name: `${open} open: seeded`,
          value: Math.round(seedSeconds),
          unit: 's',
          note: `${added} more at ${Math.round(added / seedSeconds)} starts/s (first task included), load ${load()}`,
        },
        {
          name: `${open} open: worker RSS`,
          value: Math.round(usage.rss / 2 ** 20),
          unit: 'MiB',
          note: `≈${Math.round((usage.rss - before.rss) / cached / 1024)} KiB resident per cached matter (${cached} cached), load ${load()}`,
        },
        {
          name: `${open} open: database`,
          value: Math.round(stack.dbBytes() / 2 ** 20),
          unit: 'MiB',
          note: `temporal.db and read-model.sqlite, with their WAL, load ${load()}`,
        },
      );
      seeded = open;
      // The yardstick: the same task list asked of Temporal's visibility (the read path before the
      // projection), straight to the server: what that store costs without the API.
      const direct: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async (_, c) => {
          for (let i = 0; i < 25; i++) {
            const query = where.and(
              where.eq('WorkflowType', MATTER_WORKFLOW),
              where.eq(MatterSearchAttributes.village.name, villageId((c * 25 + i) % villages)),
              where.eq('ExecutionStatus', 'Running'),
              where.in(MatterSearchAttributes.waitingOn.name, rolesServed(['secretary'])),
            );
            const t = performance.now();
            await stack.client.workflowService.listWorkflowExecutions({ namespace: 'default', query, pageSize: 1000 });
            direct.push(performance.now() - t);
          }
        }),
      );
      rows.push({
        name: `${open} open: the same task list from Temporal visibility p50 / p99 (8 clients)`,
        value: Math.round(percentile(direct, 99)),
        unit: 'ms p99',
        note: `p50 ${Math.round(percentile(direct, 50))} ms, ${direct.length} requests, load ${load()}`,
      });
      for (const [name, url] of [
        ['task list', () => `/api/me/tasks`] as const,
        ['board', (v: string) => `/api/notices?village=${v}`] as const,
        ['matter list', (v: string) => `/api/matters?village=${v}`] as const,
      ]) {
        const latencies: number[] = [];
        await Promise.all(
          Array.from({ length: 8 }, async (_, c) => {
            for (let i = 0; i < 25; i++) {
              const village = villageId((c * 25 + i) % villages);
              const as = await stack.as(`${village}-${i % 2 === 0 ? 'secretary' : 'accountant'}`);
              const t = performance.now();
              const body = (await as('GET', url(village))) as { unread?: string[] };
              latencies.push(performance.now() - t);
              if (body.unread && body.unread.length > 0) throw new Error(`${name}: ${body.unread.length} unread`);
            }
          }),
        );
        rows.push({
          name: `${open} open: ${name} p50 / p99 (8 clients)`,
          value: Math.round(percentile(latencies, 99)),
          unit: 'ms p99',
          note: `p50 ${Math.round(percentile(latencies, 50))} ms, ${latencies.length} requests, load ${load()}`,
        });
      }
    }
    return rows;
  } finally {
    await stack.stop();
  }
}
