import { messageOf } from './trpc';

export interface MutationOptions<Input extends unknown[], Output> {
	/**
	 * What the page reads again once a change is saved, so it shows what the server holds:
	 * `invalidateAll`, `() => invalidate('duties:week')`, or a parent's callback. Awaited before
	 * `run` answers; a refresh that fails is reported like a refusal.
	 */
	refresh?: () => unknown;
	/** After the refresh: what the page makes of the answer (a confirmation, a cleared form). */
	done?: (output: Output, ...input: Input) => unknown;
	/** Words for a refusal or a lost connection; the API client's `messageOf` unless told. */
	describe?: (error: unknown) => string;
}

/**
 * One change a page makes through the API: whether it is in flight (`busy`, to disable its button),
 * what went wrong (`problem`, a message a person can act on), and the refresh after it. Whatever
 * `send`, the refresh or `done` throws becomes the problem.
 */
export class Mutation<Input extends unknown[], Output> {
	/** The input of each run in flight: a button stays disabled until the last one is answered. */
	#inFlight = $state.raw<Input[]>([]);
	/** Why the last run failed, or '' (cleared when a run starts). The page may set it too. */
	problem = $state('');
	readonly #send: (...input: Input) => Promise<Output>;
	readonly #options: MutationOptions<Input, Output>;

	constructor(send: (...input: Input) => Promise<Output>, options: MutationOptions<Input, Output> = {}) {
		this.#send = send;
		this.#options = options;
	}

	get busy(): boolean {
		return this.#inFlight.length > 0;
	}

	/** Whether a run in flight is about this: `cards.busyWith((id) => id === student.id)` for one row's button. */
	busyWith(about: (...input: Input) => boolean): boolean {
		return this.#inFlight.some((input) => about(...input));
	}

	/** Sends the change and refreshes the page; true when all went through, false with `problem` set. */
	async run(...input: Input): Promise<boolean> {
		const { refresh, done, describe = messageOf } = this.#options;
		this.#inFlight = [...this.#inFlight, input];
		this.problem = '';
		try {
			const output = await this.#send(...input);
			await refresh?.();
			await done?.(output, ...input);
			return true;
		} catch (error) {
			this.problem = describe(error);
			return false;
		} finally {
			this.#inFlight = this.#inFlight.filter((running) => running !== input);
		}
	}
}

/**
 * `const save = mutation((input) => trpc.x.mutate(input), { refresh: invalidateAll })`, then
 * `<button disabled={save.busy}>` and `if (await save.run(input)) …`.
 */
export function mutation<Input extends unknown[], Output>(
	send: (...input: Input) => Promise<Output>,
	options?: MutationOptions<Input, Output>
): Mutation<Input, Output> {
	return new Mutation(send, options);
}
