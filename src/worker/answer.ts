import { VIEW_QUERIES, type Answers, type CallMessage, type PageMessage, type Query, type Reply } from './protocol';

/** Thrown by an answer whose subject went away while it was computed (a reset, a new model). */
export class Superseded extends Error {
  constructor() {
    super('superseded');
  }
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The worker's side of the calls: answers one query at a time, in the order they came, once the
 * worker is `ready` (the backend chosen). A query withdrawn before it started is skipped; one
 * withdrawn while it runs is told so (an answer that can stop early does) and its answer not sent. A newer view query (attack,
 * boundaries) skips older ones of its kind still waiting.
 */
export class Answerer {
  private readonly waiting: { id: number; query: Query }[] = [];
  private running: { id: number; withdrawn: boolean } | null = null;
  private busy = false;

  constructor(
    /** TrainingSession implements every kind (the compiler checks it); a test may answer a few. */
    private readonly answers: Partial<Answers>,
    private readonly reply: (r: Reply) => void,
    private readonly ready: () => Promise<unknown> = () => Promise.resolve(),
  ) {}

  /** Takes the page's calls and cancellations; anything else (a stream command) is not for it. */
  receive(m: PageMessage): m is CallMessage {
    if (m.type === 'cancel') {
      this.withdraw(m.id);
      return true;
    }
    if (m.type !== 'call') return false;
    if (VIEW_QUERIES.has(m.query.type))
      for (const older of this.waiting.filter((w) => w.query.type === m.query.type)) {
        this.withdraw(older.id);
        this.reply({ type: 'superseded', id: older.id });
      }
    this.waiting.push({ id: m.id, query: m.query });
    void this.work();
    return true;
  }

  /** Calls not answered yet, the one running included. */
  get pending(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  private withdraw(id: number): void {
    const i = this.waiting.findIndex((w) => w.id === id);
    if (i >= 0) this.waiting.splice(i, 1);
    else if (this.running?.id === id) this.running.withdrawn = true;
  }

  private async work(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (;;) {
        await this.ready();
        // Cancellations posted meanwhile are delivered before the next query starts.
        await nextTask();
        const next = this.waiting.shift();
        if (!next) return;
        const run = (this.running = { id: next.id, withdrawn: false });
        const reply = await this.answer(next, () => run.withdrawn);
        this.running = null;
        if (!run.withdrawn) this.reply(reply);
      }
    } finally {
      this.busy = false;
    }
  }

  private async answer({ id, query }: { id: number; query: Query }, withdrawn: () => boolean): Promise<Reply> {
    try {
      const answer = this.answers[query.type] as ((q: Query, withdrawn: () => boolean) => Promise<unknown>) | undefined;
      if (!answer) throw new Error(`Nothing answers "${query.type}" queries.`);
      return { type: 'answer', id, result: await answer.call(this.answers, query, withdrawn) };
    } catch (e) {
      if (e instanceof Superseded) return { type: 'superseded', id };
      return { type: 'refused', id, message: e instanceof Error ? e.message : String(e) };
    }
  }
}
