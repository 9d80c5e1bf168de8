import { existsSync } from 'node:fs';

/**
 * The installed Chromium that browser tests and the bench drive; Playwright never downloads
 * one here. The flags keep it from reaching for a network this machine does not have.
 */
export function chromiumLaunchOptions() {
	const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	if (!existsSync(executablePath)) {
		throw new Error(
			`No Chromium at ${executablePath}. Install one (Debian/Ubuntu: sudo apt-get install -y chromium) ` +
				'or point CHROMIUM_PATH at a Chromium or Chrome binary.'
		);
	}
	return {
		executablePath,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	};
}
