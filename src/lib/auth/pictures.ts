// The picture password: a student taps three of these nine, in order. Browser-safe.
export const PICTURES = ['cat', 'sun', 'tree', 'fish', 'star', 'moon', 'house', 'boat', 'flower'] as const;
export type Picture = (typeof PICTURES)[number];
export const PICTURE_PASSWORD_LENGTH = 3;

/** The secret that is hashed: the pictures in the order tapped. */
export const pictureSecret = (pictures: readonly Picture[]): string => pictures.join(' ');
