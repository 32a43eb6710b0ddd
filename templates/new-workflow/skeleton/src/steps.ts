import type { Steps } from './workflow';

/** The work of each step. Each runs at least once per run: keep it idempotent. */
export const steps: Steps = {
{%- for name in values.steps %}
  ${{ name | dump }}: async () => {
    throw new Error(${{ ('Step "' + name + '" is not written yet') | dump }});
  },
{%- endfor %}
};
