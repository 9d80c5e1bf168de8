import type { RouterInputs, RouterOutputs } from '$lib/trpc';

/** A school with its pods, as the admin's home lists them. */
export type SchoolWithPods = RouterOutputs['schools']['list'][number];
/** A pod's settings, as its form shows them. */
export type PodSettings = RouterOutputs['pods']['settings'];
/** What the pod form offers: schools, time zones, the server's zone. */
export type PodFormChoices = RouterOutputs['pods']['formChoices'];
/** What the pod form sends to create a pod. */
export type NewPodInput = RouterInputs['pods']['create'];
