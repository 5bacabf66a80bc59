import { clearRuns } from './catalogue-runs';

/** Jest global setup: the runs of this suite are recorded afresh (catalogue.ts). */
export default function setup(): void {
	clearRuns();
}
