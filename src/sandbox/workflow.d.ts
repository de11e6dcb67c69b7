// Type stand-in for the uploaded module: at run time "./workflow.js" is the user's source, loaded by the
// Worker Loader next to main.js. Its exports are inspected, not typed.
export {};
