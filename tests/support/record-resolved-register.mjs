// `node --import <this file>`: registers record-resolved.mjs's hook before the program's first import.
import { register } from 'node:module';

register('./record-resolved.mjs', import.meta.url);
