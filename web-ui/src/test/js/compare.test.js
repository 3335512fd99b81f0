import {test} from 'node:test';
import assert from 'node:assert/strict';
import {defaultReferenceAttack, lineUp, meanSd, metricColumns, referenceRows, runRows, seedRows, settingKey, sortRows}
  from '../../main/resources/public/js/compare/rows.js';
import {csv, exportColumns, json, markdown, plainRows} from '../../main/resources/public/js/compare/export.js';

const detail = (id, attack, asrBefore, asrAfter) => ({
  run: {id, name: `run ${id}`, status: 'SUCCEEDED'},
  spec: {dataset: {id: 'blobs'}, model: {source: 'stored', modelId: 'm-1'}, attack: attack ? {id: attack} : undefined},
  steps: [{index: 0, kind: 'dataset'}, {index: 1, kind: 'model'}, {index: 2, kind: 'defense', componentId: 'shrink'}],
  metrics: [{stepIndex: 1, name: 'ASR', value: asrBefore, unit: 'fraction'}, {stepIndex: 2, name: 'ASR', value: asrAfter, unit: 'fraction'},
    {stepIndex: 2, name: 'C-ACC', value: 0.9, unit: 'fraction'}],
});
const reference = {label: 'BackdoorBench leaderboard', setting: 'CIFAR-10', caveat: 'Other data.', derNote: 'DER differs.',
  source: 'https://example', rows: [{attack: 'BadNets', defense: 'No defense', cAcc: 90, asr: 95.0, ra: null, der: null, source: 'table 1'},
    {attack: 'WaNet', defense: 'NPD', cAcc: 88, asr: 2.5, ra: 80, der: 95, source: 'table 2'}]};

test('one row per evaluated step of each run, or only the final one', () => {
  const rows = runRows([detail(4, 'sample-corner', 1, 0.1)], 'all');
  assert.deepEqual(rows.map((r) => r.step), ['before defenses (step 2)', 'after shrink (step 3)']);
  assert.deepEqual(rows[1], {kind: 'run', runId: 4, source: 'run #4', pipeline: 'run 4', dataset: 'blobs', model: 'stored m-1',
    attack: 'sample-corner', step: 'after shrink (step 3)', defense: 'shrink', values: {'ASR': 0.1, 'C-ACC': 0.9},
    units: {'ASR': 'fraction', 'C-ACC': 'fraction'}, status: 'SUCCEEDED', chartLabel: '#4 shrink', chartSub: 'step 3'});
  assert.equal(runRows([detail(4, null, 1, 0.1)], 'final').length, 1);
  assert.equal(runRows([detail(4, null, 1, 0.1)], 'final')[0].attack, 'none');
});

test('reference rows of one attack, as fractions, and the attack matching the compared runs', () => {
  const rows = referenceRows(reference, 'BadNets');
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].values, {'C-ACC': 0.9, 'ASR': 0.95});
  assert.equal(rows[0].step, 'no defense');
  assert.equal(referenceRows(reference, '').length, 2);
  assert.equal(referenceRows(reference, 'WaNet')[0].step, 'after npd');
  assert.equal(referenceRows(reference, 'WaNet')[0].defense, 'npd');
  assert.equal(defaultReferenceAttack([detail(1, 'sample-corner', 1, 1), detail(2, 'wanet', 1, 1)]), 'WaNet');
  assert.equal(defaultReferenceAttack([]), 'BadNets');
});

test('metric columns follow the usual order and sorting puts rows without a value last', () => {
  const rows = [...runRows([detail(1, null, 1, 0.2), detail(2, null, 0.5, 0.3)], 'all'), ...referenceRows(reference, 'WaNet')];
  const metrics = metricColumns(rows);
  assert.deepEqual(metrics, ['C-ACC', 'ASR', 'RA', 'DER']);
  assert.deepEqual(sortRows(rows, metrics, 'ASR', -1).map((r) => r.values.ASR), [1, 0.5, 0.3, 0.2, 0.025]);
  assert.deepEqual(sortRows(rows, metrics, 'C-ACC', -1).map((r) => r.values['C-ACC']), [0.9, 0.9, 0.88, undefined, undefined]);
  assert.deepEqual(sortRows(rows, metrics, 'source', 1).map((r) => r.source)[0], 'reference');
  assert.equal(sortRows(rows, metrics, null, 1), rows);
});

test('exports carry percent values, quoting and the reference note', () => {
  const rows = [...runRows([detail(1, null, 1, 0.12345678)], 'final'), ...referenceRows(reference, 'BadNets')];
  const metrics = metricColumns(rows);
  const plain = plainRows(rows, metrics, reference);
  assert.equal(plain[0].ASR, 12.3457);
  assert.equal(plain[1].note, 'BackdoorBench leaderboard; table 1');
  const text = csv(plain, metrics);
  assert.equal(text.split('\n')[0], 'source,pipeline,dataset,model,attack,step,C-ACC (%),ASR (%),note');
  assert.equal(text.split('\n')[2], 'reference,BackdoorBench leaderboard,CIFAR-10,PreAct-ResNet-18,BadNets,no defense,90,95,BackdoorBench leaderboard; table 1');
  assert.equal(csv([{source: 'a,"b"'}], []).split('\n')[1], '"a,""b""",,,,,,');
  const md = markdown(plain, metrics, reference, true).split('\n');
  assert.equal(md[1], '|---|---|---|---|---|---|---:|---:|');
  assert.equal(md[2], '| run #1 | run 1 | blobs | stored m-1 | none | after shrink (step 3) | 90.00 | 12.35 |');
  assert.equal(md[md.length - 1], 'Reference rows: BackdoorBench leaderboard (CIFAR-10). Other data. DER differs.');
  const exported = JSON.parse(json(plain, reference, false, new Date('2026-12-01T00:00:00Z')));
  assert.deepEqual(Object.keys(exported), ['exportedAt', 'unit', 'rows']);
  assert.equal(exported.exportedAt, '2026-12-01T00:00:00.000Z');
});

test('reference rows line up after the run rows of the baseline of the same name', () => {
  const ft = (id) => ({...detail(id, 'badnets', 1, 0.05), steps: [{index: 0, kind: 'dataset'}, {index: 1, kind: 'model'},
    {index: 2, kind: 'defense', componentId: 'ft'}]});
  const refs = {...reference, rows: [{attack: 'BadNets', defense: 'FT', cAcc: 90, asr: 1.5, ra: 89, der: 96, source: 't'},
    {attack: 'BadNets', defense: 'No defense', cAcc: 91, asr: 95, ra: 5, der: null, source: 't'},
    {attack: 'BadNets', defense: 'CLP', cAcc: 90, asr: 3, ra: 80, der: 95, source: 't'}]};
  const rows = [...runRows([ft(1), ft(2)], 'all'), ...referenceRows(refs, 'BadNets')];
  assert.deepEqual(lineUp(rows).map((r) => `${r.source} ${r.defense}`),
    ['run #1 none', 'run #1 ft', 'run #2 none', 'reference none', 'run #2 ft', 'reference ft', 'reference clp']);
});

test('the retuning attack\'s P-ASR is a column next to ASR, in the table and the exports', () => {
  const d = detail(7, 'badnets', 0.95, 0.05);
  d.metrics.push({stepIndex: 2, name: 'P-ASR', value: 0.8, unit: 'fraction'},
    {stepIndex: 2, name: 'P-C-ACC', value: 0.85, unit: 'fraction'}, {stepIndex: 2, name: 'RA', value: 0.7, unit: 'fraction'});
  const rows = runRows([d], 'final');
  const metrics = metricColumns(rows);
  assert.deepEqual(metrics, ['C-ACC', 'ASR', 'P-ASR', 'P-C-ACC', 'RA']);
  const text = csv(plainRows(rows, metrics, reference), metrics).split('\n');
  assert.equal(text[0], 'source,pipeline,dataset,model,attack,step,C-ACC (%),ASR (%),P-ASR (%),P-C-ACC (%),RA (%),note');
  assert.equal(text[1], 'run #7,run 7,blobs,stored m-1,badnets,after shrink (step 3),90,5,80,85,70,');
});

test('runs differing only in seed and name pool into one row per step: mean, sample sd and N', () => {
  const seeded = (id, seed, asrAfter, accAfter) => {
    const d = detail(id, 'badnets', 1, asrAfter);
    d.run.name = seed === 1 ? 'bench[paper] cnn/badnets/npd' : `bench[paper] cnn/badnets/npd seed ${seed}`;
    d.spec = {...d.spec, seed, name: d.run.name};
    d.metrics[2].value = accAfter;
    return d;
  };
  const other = detail(9, 'blended', 1, 0.5);
  // ASR after: 0.10, 0.20, 0.30 -> mean 0.20, sd sqrt((0.01 + 0 + 0.01) / 2) = 0.1; C-ACC 0.9 each -> sd 0
  const rows = seedRows([seeded(1, 1, 0.1, 0.9), seeded(2, 2, 0.2, 0.9), other, seeded(3, 3, 0.3, 0.9)], 'all');
  assert.equal(rows.length, 4, 'two steps of the pooled setting, two of the other run');
  const after = rows[1];
  assert.equal(after.step, 'after shrink (step 3)');
  assert.equal(after.source, '3 seeds: #1, #2, #3');
  assert.equal(after.pipeline, 'bench[paper] cnn/badnets/npd');
  assert.equal(after.n, 3);
  assert.ok(Math.abs(after.values.ASR - 0.2) < 1e-12);
  assert.ok(Math.abs(after.sds.ASR - 0.1) < 1e-12);
  assert.equal(after.ns.ASR, 3);
  assert.equal(after.sds['C-ACC'], 0);
  assert.equal(rows[3].source, 'run #9', 'a setting with one run keeps its source');
  assert.equal(rows[3].n, 1);
  assert.equal(settingKey({seed: 1, name: 'a', b: {y: 1, x: 2}}), settingKey({b: {x: 2, y: 1}, name: 'z', seed: 7}));
  assert.deepEqual(meanSd([0.5]), {mean: 0.5, sd: 0, n: 1});

  const metrics = metricColumns(rows);
  const columns = exportColumns(rows, metrics);
  assert.deepEqual(columns, ['C-ACC', 'C-ACC sd', 'ASR', 'ASR sd', 'N']);
  const plain = plainRows(rows, metrics, reference);
  assert.equal(plain[1]['ASR sd'], 10);
  assert.equal(plain[1].N, 3);
  const text = csv(plain, columns).split('\n');
  assert.equal(text[0], 'source,pipeline,dataset,model,attack,step,C-ACC (%),C-ACC sd (%),ASR (%),ASR sd (%),N,note');
  assert.ok(text[2].startsWith('"3 seeds: #1, #2, #3",bench[paper] cnn/badnets/npd,blobs,stored m-1,badnets,after shrink (step 3),90,0,20,10,3,'), text[2]);
  assert.deepEqual(exportColumns(runRows([other], 'all'), metrics), metrics, 'unpooled rows export as before');
  const md = markdown(plain, columns, reference, false).split('\n');
  assert.ok(md[0].endsWith('| ASR sd (%) | N |'), md[0]);
});
