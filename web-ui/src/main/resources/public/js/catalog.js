// What the server has installed: components by kind, the model zoo, stored models. Shared by the views.
import {api} from './api.js';

export const KINDS = ['model-format', 'dataset', 'attack', 'defense', 'metric'];

export const KIND_WORDS = {
  'model-format': 'model format', dataset: 'dataset', attack: 'attack', defense: 'defense', metric: 'metric',
};

export const KIND_TITLES = {
  'model-format': 'Model formats', dataset: 'Datasets', attack: 'Attacks', defense: 'Defenses', metric: 'Metrics',
};

/** Loads the installed components grouped by kind. */
export async function loadComponents() {
  const list = await api('/api/components');
  const byKind = {};
  for (const kind of KINDS) byKind[kind] = [];
  for (const c of list) (byKind[c.kind] || (byKind[c.kind] = [])).push(c);
  for (const kind of Object.keys(byKind)) byKind[kind].sort((a, b) => a.name.localeCompare(b.name)
    || (a.bundle ? a.bundle.symbolicName : '').localeCompare(b.bundle ? b.bundle.symbolicName : ''));
  return byKind;
}

/** Finds an installed component. */
export function findComponent(byKind, kind, id) {
  return (byKind[kind] || []).find((c) => c.id === id) || null;
}

/** Describes a defense's data contract in words. */
export function contractText(contract) {
  if (!contract) return 'No data contract declared.';
  const pct = `${Math.round(contract.defaultFraction * 1000) / 10}%`;
  switch (contract.kind) {
    case 'LABELED_CLEAN':
      return `Needs labeled clean data: a class-balanced ${pct} of the clean training set by default.`;
    case 'UNLABELED':
      return `Needs unlabeled images: ${pct} of the training set held out before training by default`
        + (contract.outOfDistributionAllowed ? ', or images of another dataset.' : '.');
    case 'NONE':
      return 'Data-free: uses no data.';
    default:
      return String(contract.kind);
  }
}
