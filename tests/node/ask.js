// Answer every case of a JSON file with the JavaScript engine: node ask.js BUNDLE CASES > ANSWERS.
// CASES is a JSON list of [text, facts]; ANSWERS a JSON list of the answer objects, in order.
"use strict";
const fs = require("fs");
const path = require("path");
const engine = require(path.join(__dirname, "..", "..", "advisor", "web", "engine.js"));
const bundle = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const cases = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const answers = cases.map(([text, facts]) => engine.ask(bundle, text, facts));
process.stdout.write(JSON.stringify(answers));
