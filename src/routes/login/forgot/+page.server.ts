import { emailIsOn } from '$lib/server/email/mailer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ emailOn: emailIsOn() });
