// Writes deploy/kubernetes/prometheusrule.example.yaml: the groups of rules.yml in a PrometheusRule, for clusters
// that run the Prometheus Operator. rules.yml is the one source; `npm run deploy:rules` regenerates the example and
// a test fails when the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const { groups } = parse(readFileSync(join(here, 'rules.yml'), 'utf8'));
const header = `# GENERATED from deploy/prometheus/rules.yml by \`npm run deploy:rules\`: edit that file, not this one.
# NOT applied by kustomization.yaml: the PrometheusRule kind exists only where the Prometheus Operator's CRDs are
# installed. Apply it beside servicemonitor.example.yaml (kubectl apply -n <namespace> -f prometheusrule.example.yaml);
# the labels must match your Prometheus resource's ruleSelector (kube-prometheus-stack selects release: <its name>).
`;
const rule = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: {
    name: 'secuscan-health',
    labels: { 'app.kubernetes.io/name': 'secuscan-health', 'app.kubernetes.io/part-of': 'secuscan' },
  },
  spec: { groups },
};
writeFileSync(
  join(here, '..', 'kubernetes', 'prometheusrule.example.yaml'),
  header + stringify(rule, { lineWidth: 0 }),
);
