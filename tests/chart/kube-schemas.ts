/**
 * Validates an object against its Kubernetes (or CRD) schema: kubernetes-models for the built-in kinds,
 * @kubernetes-models/keda for ScaledObject, @kubernetes-models/prometheus-operator for ServiceMonitor, PodMonitor
 * and PrometheusRule. The model modules are CommonJS files named group/version/Kind, loaded by that path.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Model {
  validate(): void;
}
type ModelClass = new (data: object) => Model;

function modulePath(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'keda.sh') return `@kubernetes-models/keda/keda.sh/${version}/${kind}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

/** Throws when the kind is unknown to the schemas or the object breaks its schema. */
export function validateObject(object: { apiVersion: string; kind: string }): void {
  let mod: Record<string, ModelClass>;
  try {
    mod = require(modulePath(object.apiVersion, object.kind)) as Record<string, ModelClass>;
  } catch {
    throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  }
  const Model = mod[object.kind];
  if (!Model) throw new Error(`no model ${object.kind} in ${modulePath(object.apiVersion, object.kind)}`);
  new Model(object).validate();
}
