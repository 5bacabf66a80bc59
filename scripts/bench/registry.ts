/** Every benchmark table, in the order the full `npm run bench` runs them. */
import { approvals } from './approvals';
import { bitable } from './bitable';
import { contacts } from './contacts';
import type { BenchTable } from './common';
import { dingtalk } from './dingtalk';
import { dingtalkTrigger } from './dingtalkTrigger';
import { drive } from './drive';
import { messaging } from './messaging';
import { notable } from './notable';
import { pacing } from './pacing';
import { sheets } from './sheets';
import { throughput } from './throughput';
import { trigger } from './trigger';

export const TABLES: readonly BenchTable[] = [
	throughput,
	pacing,
	messaging,
	dingtalk,
	bitable,
	notable,
	contacts,
	drive,
	sheets,
	approvals,
	trigger,
	dingtalkTrigger,
];

/** The table BENCH_ONLY names, or undefined (unset, or a value that names none: then every table runs). */
export function selectedTable(only: string | undefined): BenchTable | undefined {
	return TABLES.find((t) => t.selectable !== false && t.name === only);
}
