import { describe, expect, it } from 'vitest';
import { preferred, storyOf, type MethodResult } from '../../src/ui/demo/story';

const ctx = { modalities: ['A', 'B'], eps: 1, certifiedEps: 0.25 };
const result = (m: MethodResult['method'], o: Partial<MethodResult>): MethodResult => ({
  method: m,
  clean: 0.99,
  branch: [0.99, 0.8],
  attacked: [0.3, 0.97],
  certified: 0.7,
  weights: null,
  ...o,
});

describe("the demonstration's story", () => {
  it('tells the paper story when the numbers show it, every number from the results', () => {
    const jt = result('jt', {});
    const crmt = result('crmt-jt', {
      branch: [0.99, 0.9],
      attacked: [0.45, 0.95],
      certified: 0.8,
      weights: [0.5, 0.4],
    });
    const ojt = result('ojt', { attacked: [0.31, 0.97], weights: [0.55, 0.44] });
    const steps = storyOf(ctx, jt, crmt, ojt);
    expect(steps.map((s) => s.id)).toEqual(['preference', 'attack', 'gap', 'certified', 'weights', 'ablation']);
    const text = Object.fromEntries(steps.map((s) => [s.id, s.sentence]));
    expect(text.preference).toBe(
      "jt prefers A: A's branch alone gets 99% of the validation samples right, B's 80%, the fused model 99%.",
    );
    expect(text.attack).toContain('attacking only A leaves jt 30% correct, attacking only B 97%');
    expect(text.attack).toContain('the preferred modality is the cheap one to attack (67 points more lost)');
    expect(text.gap).toContain('crmt-jt narrows the gap from 67 points to 50 points');
    expect(text.gap).toContain('attacking A leaves 45% (jt 30%)');
    expect(text.certified).toContain('rises: 70% under jt, 80% under crmt-jt');
    expect(text.weights).toContain('A 0.50 and B 0.40');
    expect(text.weights).toContain('so B counts 0.80 as much as A; in ojt');
    expect(text.weights).toContain('0.80');
    expect(text.ablation).toContain('most of crmt-jt');
    expect(text.ablation).toContain('comes from the margin term and step 2, not from the orthogonal head');
  });

  it('says what it sees when the data does not show the effect', () => {
    const jt = result('jt', { branch: [0.9, 0.895], attacked: [0.8, 0.79] });
    const crmt = result('crmt-jt', { attacked: [0.8, 0.7], certified: 0.5, weights: [0.4, 0.4] });
    const ojt = result('ojt', { attacked: [0.8, 0.8] });
    const text = Object.fromEntries(storyOf(ctx, jt, crmt, ojt).map((s) => [s.id, s.sentence]));
    expect(text.preference).toContain('jt shows no clear preference here');
    expect(text.attack).toContain('here A is not the cheaper one to attack');
    expect(text.gap).toMatch(/widens the gap|leaves the gap about where it was/);
    expect(text.certified).toContain('falls: 70% under jt, 50% under crmt-jt');
    expect(text.ablation).toContain('crmt-jt gains nothing over jt under this attack');
  });

  it('credits the head when ojt gets most of the gain, and names the preferred modality whichever it is', () => {
    const jt = result('jt', { branch: [0.6, 0.95], attacked: [0.9, 0.2] });
    expect(preferred(jt)).toEqual({ p: 1, q: 0 });
    const crmt = result('crmt-jt', { attacked: [0.9, 0.5] });
    const ojt = result('ojt', { attacked: [0.9, 0.45] });
    const text = Object.fromEntries(storyOf(ctx, jt, crmt, ojt).map((s) => [s.id, s.sentence]));
    expect(text.preference).toMatch(/^jt prefers B/);
    expect(text.ablation).toContain('comes with the orthogonal head alone');
    const partial = Object.fromEntries(
      storyOf(ctx, jt, crmt, result('ojt', { attacked: [0.9, 0.35] })).map((s) => [s.id, s.sentence]),
    );
    expect(partial.ablation).toContain('the orthogonal head gives part of');
    // Before crmt-jt has run, only the first two steps.
    expect(storyOf(ctx, jt, null, null).map((s) => s.id)).toEqual(['preference', 'attack']);
  });
});
