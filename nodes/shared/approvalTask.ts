/**
 * Approve, Reject and Transfer Task on both platforms: the approver's open task found when no task ID is
 * given, the decision sent (safe to send again: a repeat is answered with a documented code), and a repeat
 * told apart: the same decision by the same user is reported as `alreadyDecided`, not as a failure.
 */
import type { IDataObject } from 'n8n-workflow';

import { passedOn } from './tokens';
import type { ParamReader } from './params';

export interface TaskDecision {
	p: ParamReader;
	/** The instance, for the message when the approver has no open task. */
	instance: string;
	/** The approver. */
	userId: string;
	/** The Task ID parameter's value, or undefined when empty. */
	taskId: string | undefined;
	/** The instance's tasks, read from the platform (again after a repeat). */
	tasks(): Promise<IDataObject[]>;
	/** What the platform calls a task that waits for its approver: "pending" (Feishu), "running" (DingTalk). */
	openWord: string;
	/** Whether a task is the approver's open one. */
	isOpen(task: IDataObject): boolean;
	idOf(task: IDataObject): string;
	/** Sends the decision on this task and gives the item's output. */
	send(taskId: string): Promise<IDataObject>;
	/** Whether an error is the platform's answer to a task already acted on. */
	isRepeat(error: unknown): boolean;
	/** Whether a task was decided as asked, by the approver. */
	decidedAsAsked(task: IDataObject): boolean;
	/** The item's output when a repeat turns out to be the same decision. */
	repeated(taskId: string): IDataObject;
}

/** Carries out a task decision; returns the item's output. */
export async function decideTask(d: TaskDecision): Promise<IDataObject> {
	let taskId = d.taskId;
	if (taskId === undefined) {
		const open = (await d.tasks()).find((t) => d.isOpen(t));
		if (!open)
			d.p.fail(
				'taskId',
				`${d.userId} has no ${d.openWord} task in approval ${d.instance}`,
				'Task ID',
			);
		taskId = d.idOf(open);
	}
	try {
		return await d.send(taskId);
	} catch (error) {
		if (!d.isRepeat(error)) throw passedOn(error);
		const task = (await d.tasks()).find((t) => d.idOf(t) === taskId);
		if (!task || !d.decidedAsAsked(task)) throw passedOn(error);
		return { ...d.repeated(taskId), alreadyDecided: true };
	}
}
