"""Quality-checked escalation: check a cheap tier's answer; retry on the next tier up under budgets."""
