/** What changed, field by field: an audit entry's detail. Empty when an update changes nothing. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

/** The fields of `after` whose values differ from `before`. */
export function changedFields<T extends object>(before: T, after: Partial<T>): Changes {
	const changes: Changes = {};
	for (const [field, to] of Object.entries(after)) {
		const from = before[field as keyof T];
		if (from !== to) changes[field] = { from, to };
	}
	return changes;
}
