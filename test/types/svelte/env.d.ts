import type {} from 'k360-verify/types/svelte';
