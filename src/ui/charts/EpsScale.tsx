/**
 * The ε axis of a chart in the standardised ℓ2 norm it was computed in, or per feature: ε/√d, the
 * RMS change of each attacked feature, so modalities of different dimension compare fairly.
 */
export type EpsScale = 'total' | 'per-feature';

export const EPS_AXIS_LABEL: Record<EpsScale, string> = {
  total: 'ε (ℓ2, standardised units)',
  'per-feature': 'ε per feature, ε/√d (standardised units)',
};

/**
 * √ of the features an ℓ2 budget spreads over: one modality's d, or all of them together. Under
 * per-modality budgets every attacked modality gets its own ε, so all of them together take ε·√M
 * over Σd features.
 */
export function perFeatureDivisor(dims: number[], target: number | 'all', budget: 'joint' | 'per-modality'): number {
  if (target !== 'all') return Math.sqrt(dims[target]);
  const total = dims.reduce((a, b) => a + b, 0);
  return Math.sqrt(budget === 'joint' ? total : total / dims.length);
}

/** Features of a modality of this shape. */
export const featureCount = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function EpsScaleToggle({
  scale,
  onScale,
  testId,
}: {
  scale: EpsScale;
  onScale: (s: EpsScale) => void;
  testId: string;
}) {
  return (
    <label className="inline eps-scale">
      ε axis
      <select value={scale} onChange={(e) => onScale(e.target.value as EpsScale)} data-testid={testId}>
        <option value="total">standardised ε (ℓ2)</option>
        <option value="per-feature">ε per feature (ε/√d)</option>
      </select>
    </label>
  );
}
