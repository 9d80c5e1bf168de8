// Reading the files a person chose in the browser, to send in a tRPC call's JSON: CSV as text,
// a zip as base64. The roster import and the school calendar's import both send files this way.

export interface FileForImport {
	name: string;
	encoding: 'text' | 'base64';
	content: string;
}

/** The server takes request bodies up to 512 KB; leave room for the JSON around the files. */
export const MAX_UPLOAD_CHARS = 480_000;

function base64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

export async function readChosenFiles(files: FileList | File[]): Promise<FileForImport[]> {
	return Promise.all(
		[...files].map(async (file) =>
			/\.zip$/i.test(file.name)
				? {
						name: file.name,
						encoding: 'base64' as const,
						content: base64(new Uint8Array(await file.arrayBuffer()))
					}
				: { name: file.name, encoding: 'text' as const, content: await file.text() }
		)
	);
}

export const uploadSize = (files: FileForImport[]) =>
	files.reduce((n, f) => n + f.content.length + f.name.length, 0);
