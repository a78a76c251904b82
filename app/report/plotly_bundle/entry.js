// The trace types the HTML reports draw (app/report/plotly_js.py TRACES lists the same): scatter is in the core.
'use strict';
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/box'),
    require('plotly.js/lib/contour'),
    require('plotly.js/lib/scatterpolar'),
]);
module.exports = Plotly;
