import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../../src/core/config';
import { prepareDataset } from '../../src/core/data/prepare';
import { csvText } from '../../src/core/io/csvField';
import { metricsCsv } from '../../src/core/io/report';
import type { EpochRecord } from '../../src/core/train/snapshot';
import { Trainer } from '../../src/core/train/trainer';

describe('metrics report', () => {
  it('has one row per epoch and one column per metric, matching the records', async () => {
    const config: ExperimentConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, toy2d: { ...DEFAULT_CONFIG.data.toy2d, samples: 300 } },
      train: { ...DEFAULT_CONFIG.train, method: 'crmt-jt', epochs: 3 },
    };
    const trainer = new Trainer(prepareDataset(config).data, config);
    const history: EpochRecord[] = [];
    for await (const s of trainer.run()) if (s.kind === 'epoch') history.push(s.record);
    trainer.dispose();
    const lines = metricsCsv(history, ['A', 'B']).trim().split('\n');
    const header = lines[0].split(',');
    expect(lines.length).toBe(1 + history.length);
    expect(header.slice(0, 7)).toEqual([
      'run_epoch',
      'phase',
      'phase_epoch',
      'train_loss',
      'train_acc',
      'val_loss',
      'val_acc',
    ]);
    // Every column carrying a radius or an ε names its unit (the standardised ℓ2 norm).
    expect(header).toContain('ca_sound_all_0.10_std_l2');
    expect(header).toContain('ca_estimated_all_1.00_std_l2');
    expect(header.filter((c) => /radius|^ca_/.test(c) && !c.endsWith('_std_l2'))).toEqual([]);
    expect(header).toContain('a_B_3');
    const last = lines.at(-1)!.split(',');
    const at = (name: string) => last[header.indexOf(name)];
    const r = history.at(-1)!;
    expect(at('phase')).toBe('step2');
    expect(Number(at('val_acc'))).toBe(r.val.accuracy);
    expect(Number(at('val_acc_B'))).toBe(r.val.branchAccuracy[1]);
    expect(Number(at('a_A_0'))).toBe(r.integration![0][0]);
    expect(Number(at('ca_sound_all_0.10_std_l2'))).toBe(r.evaluation!.certified.sound.all[2]);
    expect(Number(at('median_radius_sound_std_l2'))).toBe(r.evaluation!.certified.sound.medianRadius);
    expect(lines.every((l) => l.split(',').length === header.length)).toBe(true);
    expect(header).not.toContain('attack');

    // An attack watched from the second epoch on: two more columns, empty where it was off.
    const watched = history.map((h, i) =>
      i === 0 ? h : { ...h, attack: { kind: 'pgd-l2' as const, targets: ['A'], eps: 0.5, accuracy: 0.25 * i } },
    );
    const rows = metricsCsv(watched, ['A', 'B']).trim().split('\n');
    const head = rows[0].split(',');
    expect(head.slice(-2)).toEqual(['attack', 'attack_val_acc']);
    expect(rows[1].split(',').slice(-2)).toEqual(['', '']);
    expect(rows[2].split(',').slice(-2)).toEqual(['pgd-l2 A eps_std_l2=0.5', '0.25']);
    expect(rows.every((l) => l.split(',').length === head.length)).toBe(true);

    // The label names each attack's budget in its own unit, and none for a missing modality.
    const kinds = [
      ['pgd-linf', 'pgd-linf A eps_std_linf=0.5'],
      ['gaussian', 'gaussian A sigma_std=0.5'],
      ['missing-mean', 'missing-mean A'],
    ] as const;
    for (const [kind, label] of kinds) {
      const one = history.map((h) => ({ ...h, attack: { kind, targets: ['A'], eps: 0.5, accuracy: 0.5 } }));
      expect(metricsCsv(one, ['A', 'B']).trim().split('\n')[1].split(',').at(-2)).toBe(label);
    }
  });

  it('quotes names per RFC 4180 and neutralises cells a spreadsheet would run as formulas', async () => {
    const config: ExperimentConfig = { ...DEFAULT_CONFIG, train: { ...DEFAULT_CONFIG.train, epochs: 1 } };
    const trainer = new Trainer(prepareDataset(config).data, config);
    const history: EpochRecord[] = [];
    for await (const s of trainer.run()) if (s.kind === 'epoch') history.push(s.record);
    trainer.dispose();
    const names = ['a,b', 'say "hi"\nnow'];
    const rows = parseCsv(metricsCsv(history, names));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveLength(rows[0].length);
    expect(rows[0]).toContain('train_acc_a,b');
    expect(rows[0]).toContain('margin_say "hi"\nnow_q50');
    expect(Number(rows[1][rows[0].indexOf('val_acc_say "hi"\nnow')])).toBe(history[0].val.branchAccuracy[1]);

    for (const formula of ['=HYPERLINK("http://x")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx'])
      expect(parseCsv(csvText(formula) + '\n')[0][0]).toBe(`'${formula}`);
    expect(csvText('plain')).toBe('plain');
    expect(csvText('a "b"')).toBe('"a ""b"""');
  });
});

/** An independent RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}
