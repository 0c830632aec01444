import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const TAGS = new Set(['verification-flow', 'otp-entry', 'kba-quiz', 'oth-waiting', 'docv-status']);

export default defineConfig({
  // Vue renders these tags as the custom elements they are, not as unknown components.
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => TAGS.has(tag) } } })],
});
