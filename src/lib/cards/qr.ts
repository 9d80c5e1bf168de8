/** A QR code as one SVG path of its dark modules, in module units, inside a 4-module quiet zone. */
export interface QrDrawing {
	/** Width and height of the whole drawing, quiet zone included, in modules. */
	size: number;
	path: string;
}
