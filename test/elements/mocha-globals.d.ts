// The test runner provides Mocha's `describe`/`it`/hooks as globals in the browser; the browser
// tsconfig loads no global types (`"types": []`), so the unit tests name them here.
/// <reference types="mocha" />
