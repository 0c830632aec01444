// The elements' types for templates (`vue-tsc --strictTemplates`), and .vue modules for tsc.
import type {} from 'k360-verify/types/vue';
