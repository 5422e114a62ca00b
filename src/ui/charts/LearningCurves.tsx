import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochRecord } from '../../core/train/snapshot';
import { PALETTE } from '../palette';

/** Loss and accuracy per epoch, train and validation. */
export function LearningCurves({ history }: { history: EpochRecord[] }) {
  const rows = history.map((r) => ({
    epoch: r.runEpoch,
    trainLoss: r.train.loss,
    valLoss: r.val.loss,
    trainAcc: r.train.accuracy,
    valAcc: r.val.accuracy,
  }));
  return (
    <figure className="chart" data-testid="learning-curves">
      <figcaption>
        <strong>Loss and accuracy</strong> — cross-entropy (left axis) and accuracy of the fused model (right axis)
        after each epoch, on the training and validation splits.
      </figcaption>
      {rows.length === 0 ? (
        <p className="empty">Start training to see the curves.</p>
      ) : (
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="epoch" label={{ value: 'epoch', position: 'insideBottom', offset: -10 }} />
            <YAxis yAxisId="loss" label={{ value: 'loss', angle: -90, position: 'insideLeft' }} />
            <YAxis
              yAxisId="acc"
              orientation="right"
              domain={[0, 1]}
              label={{ value: 'accuracy', angle: 90, position: 'insideRight' }}
            />
            <Tooltip />
            <Legend verticalAlign="top" />
            <Line
              yAxisId="loss"
              dataKey="trainLoss"
              name="train loss"
              stroke={PALETTE[0]}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="loss"
              dataKey="valLoss"
              name="val loss"
              stroke={PALETTE[0]}
              strokeDasharray="5 3"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="acc"
              dataKey="trainAcc"
              name="train acc"
              stroke={PALETTE[1]}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="acc"
              dataKey="valAcc"
              name="val acc"
              stroke={PALETTE[1]}
              strokeDasharray="5 3"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
