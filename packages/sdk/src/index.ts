export { generateSecret, SECRET_PREFIX, secretKey } from './secret.ts';
export { type SignInput, sign } from './sign.ts';
