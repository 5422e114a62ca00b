import { useEffect, useState } from 'react';
import { DEMO_CERTIFIED_EPS, DEMO_EPS, DEMO_METHODS, type DemoStatus } from './useDemo';
import { pct, storyOf, type MethodResult } from './story';

interface Props {
  status: DemoStatus;
  results: MethodResult[];
  modalities: string[];
  onStart(): void;
  onClose(): void;
}

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <>{Math.round((now - since) / 1000)} s</>;
}

/**
 * The guided demonstration: what it does, where it is, and the story one step at a time, each a
 * sentence built from the numbers in the table below it.
 */
export function DemoPanel({ status, results, modalities, onStart, onClose }: Props) {
  const by = (m: MethodResult['method']) => results.find((r) => r.method === m) ?? null;
  const jt = by('jt');
  const steps = jt
    ? storyOf({ modalities, eps: DEMO_EPS, certifiedEps: DEMO_CERTIFIED_EPS }, jt, by('crmt-jt'), by('ojt'))
    : [];
  const running = status.phase === 'running';
  return (
    <section className="demo" aria-labelledby="demo-h" data-testid="demo">
      <div className="demo-head">
        <h2 id="demo-h">The paper&apos;s story, on the built-in toy</h2>
        <button type="button" className="link" onClick={onClose} disabled={running}>
          Close
        </button>
      </div>
      <p className="demo-intro">
        Trains jt, then crmt-jt, then ojt on the 2-D × 2-D toy (about a minute here), attacks each with PGD-ℓ2 at ε ={' '}
        {DEMO_EPS} on one modality at a time, and says what the numbers show. The charts follow each run as it trains;
        the runs stay in Compare runs.
      </p>
      <div className="controls">
        <button className="primary" onClick={onStart} disabled={running} data-testid="demo-start">
          {status.phase === 'idle' ? 'Run the demonstration' : 'Run it again'}
        </button>
        <span role="status" data-testid="demo-status">
          {status.phase === 'running' && (
            <>
              {status.method + 1} of {DEMO_METHODS.length}: {status.doing}… <Elapsed since={status.startedAt} />
            </>
          )}
          {status.phase === 'finished' && `Done in ${Math.round(status.seconds)} s.`}
          {status.phase === 'failed' && `The demonstration stopped: ${status.message}.`}
        </span>
      </div>
      {steps.length > 0 && (
        <ol className="story">
          {steps.map((s) => (
            <li key={s.id} data-testid={`story-${s.id}`}>
              <strong>{s.title}.</strong> {s.sentence}
            </li>
          ))}
        </ol>
      )}
      {results.length > 0 && (
        <table className="run-table" data-testid="story-table">
          <caption>
            Measured on the validation split: accuracy clean, of each branch alone, and under PGD-ℓ2 at ε = {DEMO_EPS}{' '}
            on one modality; sound certified accuracy at ε = {DEMO_CERTIFIED_EPS}; integration weights (mean over
            classes).
          </caption>
          <thead>
            <tr>
              <th scope="col">method</th>
              <th scope="col">clean</th>
              {modalities.map((m) => (
                <th key={`b${m}`} scope="col">
                  {m} alone
                </th>
              ))}
              {modalities.map((m) => (
                <th key={`a${m}`} scope="col">
                  {m} attacked
                </th>
              ))}
              <th scope="col">certified</th>
              {modalities.map((m) => (
                <th key={`w${m}`} scope="col">
                  a {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.method} data-testid={`story-row-${r.method}`}>
                <th scope="row">{r.method}</th>
                <td>{pct(r.clean)}</td>
                {r.branch.map((b, i) => (
                  <td key={`b${i}`}>{pct(b)}</td>
                ))}
                {r.attacked.map((a, i) => (
                  <td key={`a${i}`} data-value={a}>
                    {pct(a)}
                  </td>
                ))}
                <td>{pct(r.certified)}</td>
                {modalities.map((_, i) => (
                  <td key={`w${i}`}>{r.weights ? r.weights[i].toFixed(2) : '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
