#!/usr/bin/env bash
# cfn-lint over every CloudFormation template the app synthesizes: the pipeline stack and every
# stack of its stages (the nested cloud assemblies), each linted for its own stack's Region.
# Ignored rules, each with its reason, live in one file: .cfnlintrc.yaml. Anything else cfn-lint
# reports (an error or a warning) fails the check.
#
#   npm run lint:cfn                 synthesize to a temporary directory, then lint
#   npm run lint:cfn -- <cdk.out>    lint an existing cloud assembly
#
# Without cfn-lint on the PATH it prints one line and exits 0 (install it: pip install cfn-lint).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint: not installed, CloudFormation lint skipped (install it with: pip install cfn-lint)"
  exit 0
fi

assembly="${1:-}"
if [ -z "$assembly" ]; then
  assembly="$(mktemp -d "${TMPDIR:-/tmp}/cfn-lint-assembly.XXXXXX")"
  trap 'rm -rf "$assembly"' EXIT
  echo "cfn-lint: synthesizing the app to $assembly"
  npx cdk synth --quiet --output "$assembly" >/dev/null
fi
if [ ! -f "$assembly/manifest.json" ]; then
  echo "cfn-lint: $assembly is not a cloud assembly (no manifest.json)" >&2
  exit 2
fi

# "<region> <template>" per stack, from the manifests (nested assemblies included).
stacks="$(node - "$assembly" <<'NODE'
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const walk = (dir) => {
  const { artifacts = {} } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const a of Object.values(artifacts)) {
    if (a.type === 'aws:cloudformation:stack') {
      const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(a.environment ?? '')?.[1];
      const known = region && region !== 'unknown-region' ? region : 'us-east-1';
      console.log(`${known} ${join(dir, a.properties.templateFile)}`);
    } else if (a.type === 'cdk:cloud-assembly') {
      walk(join(dir, a.properties.directoryName));
    }
  }
};
walk(process.argv[2]);
NODE
)"
if [ -z "$stacks" ]; then
  echo "cfn-lint: no stack templates in $assembly" >&2
  exit 2
fi

status=0
count=0
for region in $(printf '%s\n' "$stacks" | cut -d' ' -f1 | sort -u); do
  mapfile -t templates < <(printf '%s\n' "$stacks" | awk -v r="$region" '$1 == r { print $2 }')
  count=$((count + ${#templates[@]}))
  cfn-lint --config-file .cfnlintrc.yaml --regions "$region" -- "${templates[@]}" || status=1
done
if [ "$status" -eq 0 ]; then
  echo "cfn-lint: $count templates, 0 errors, 0 warnings (ignored rules: .cfnlintrc.yaml)"
else
  echo "cfn-lint: findings above (fix them, or ignore the rule with a reason in .cfnlintrc.yaml)" >&2
fi
exit "$status"
