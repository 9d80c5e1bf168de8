import { messageOf } from './trpc';

export interface MutationOptions {
	/**
	 * What the page reads again once a change is saved, so it shows what the server holds:
	 * `invalidateAll`, `() => invalidate('duties:week')`, or a parent's callback. Awaited before
	 * `run` answers; a refresh that fails is reported like a refusal.
	 */
	refresh?: () => unknown;
	/** Words for a refusal or a lost connection; the API client's `messageOf` unless told. */
	describe?: (error: unknown) => string;
}

/**
 * One change a page makes through the API: whether it is in flight (`busy`, to disable its button),
 * what went wrong (`problem`, a message a person can act on), and the refresh after it. `send` may do
 * more than call the API (read its answer into the page): whatever it throws becomes the problem.
 */
export class Mutation<Input extends unknown[]> {
	/** How many runs are in flight: a button stays disabled until the last one is answered. */
	#inFlight = $state(0);
	/** Why the last run failed, or '' (cleared when a run starts). The page may set it too. */
	problem = $state('');
	readonly #send: (...input: Input) => Promise<unknown>;
	readonly #refresh: () => unknown;
	readonly #describe: (error: unknown) => string;

	constructor(
		send: (...input: Input) => Promise<unknown>,
		{ refresh, describe = messageOf }: MutationOptions = {}
	) {
		this.#send = send;
		this.#refresh = refresh ?? (() => undefined);
		this.#describe = describe;
	}

	get busy(): boolean {
		return this.#inFlight > 0;
	}

	/** Sends the change and refreshes the page; true when both went through, false with `problem` set. */
	async run(...input: Input): Promise<boolean> {
		this.#inFlight += 1;
		this.problem = '';
		try {
			await this.#send(...input);
			await this.#refresh();
			return true;
		} catch (error) {
			this.problem = this.#describe(error);
			return false;
		} finally {
			this.#inFlight -= 1;
		}
	}
}

/** `const save = mutation((input) => trpc.x.mutate(input), { refresh: invalidateAll })`, then `save.run(input)`. */
export function mutation<Input extends unknown[]>(
	send: (...input: Input) => Promise<unknown>,
	options?: MutationOptions
): Mutation<Input> {
	return new Mutation(send, options);
}
