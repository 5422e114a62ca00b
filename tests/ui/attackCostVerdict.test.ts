import { describe, expect, it } from 'vitest';
import { attackCostVerdict } from '../../src/ui/attack/attackCostVerdict';

const base = { modalities: ['A', 'B'], localSamples: 10, maxEps: 64 };

describe("the attack-cost panel's verdict over the sound and local bounds and the measurement", () => {
  it('says when all three agree', () => {
    const v = attackCostVerdict({ ...base, sound: [0.1, 0.3], local: [0.2, 0.5], measured: 'A' });
    expect(v).toMatchObject({ sound: 'A', local: 'A', agree: true, localAgree: true });
    expect(v.text).toContain('The sound bound and the measurement agree: A is the cheaper modality to attack.');
    expect(v.text).toContain(
      'The local bound, on 10 random validation samples, names A, as the sound bound does, as PGD does.',
    );
  });

  it('names each bound when sound and local disagree, and which one the measurement sides with', () => {
    const v = attackCostVerdict({ ...base, sound: [0.1, 0.3], local: [0.6, 0.4], measured: 'B' });
    expect(v).toMatchObject({ sound: 'A', local: 'B', agree: false, localAgree: true });
    expect(v.text).toContain('the sound bound names A, PGD finds B cheaper.');
    expect(v.text).toContain('names B, where the sound bound names A, as PGD does.');
    const w = attackCostVerdict({ ...base, sound: [0.3, 0.1], local: [0.4, 0.6], measured: 'B' });
    expect(w).toMatchObject({ sound: 'B', local: 'A', agree: true, localAgree: false });
    expect(w.text).toContain('names A, where the sound bound names B; PGD finds B cheaper.');
  });

  it('compares nothing with a measurement that names no modality, and omits a local bound not computed', () => {
    const v = attackCostVerdict({ ...base, sound: [0.1, 0.3], local: null, measured: null });
    expect(v).toMatchObject({ sound: 'A', local: null, agree: null, localAgree: null });
    expect(v.text).toContain("No modality's accuracy halved by ε = 64");
    expect(v.text).not.toContain('The local bound');
  });

  it('states how conservative each bound is, as docs/LOCAL-BOUND.md §8 measured it', () => {
    const v = attackCostVerdict({ ...base, sound: [0.1, 0.3], local: [0.2, 0.5], measured: 'A' });
    expect(v.text).toContain('2–5×');
    expect(v.text).toContain('1.1–2.3×');
    expect(v.text).not.toContain('often 2–5× conservative');
  });
});
