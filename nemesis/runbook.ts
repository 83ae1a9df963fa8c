// A runbook's steps performed one after another, each timed on the run clock and recorded with the command an operator would type; a failed step stops the runbook naming itself, its command and etcd's answer.
import { errorMessage } from "../harness/clients/outcome.ts";
import type { RunbookStep } from "../record/recovery.ts";

export class RunbookStepFailed extends Error {
  readonly step: RunbookStep;

  constructor(step: RunbookStep) {
    super(`runbook step "${step.name}" failed: \`${step.command}\` answered: ${step.answer ?? "nothing"}`);
    this.name = "RunbookStepFailed";
    this.step = step;
  }
}

export class Runbook {
  readonly steps: RunbookStep[] = [];
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Performs one step; its result, when a string, is kept as the step's answer. */
  async step<T>(name: string, command: string, perform: () => Promise<T>): Promise<T> {
    const startedAt = this.#now();
    try {
      const result = await perform();
      this.steps.push({ name, command, startedAt, endedAt: this.#now(), ok: true, ...(typeof result === "string" ? { answer: result } : {}) });
      return result;
    } catch (error) {
      const failed: RunbookStep = { name, command, startedAt, endedAt: this.#now(), ok: false, answer: errorMessage(error).slice(0, 500) };
      this.steps.push(failed);
      throw new RunbookStepFailed(failed);
    }
  }
}
