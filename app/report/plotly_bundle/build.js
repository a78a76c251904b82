// Bundles entry.js into plotly-cbec.min.js with plotly.js's own esbuild settings (its esbuild-config.js), minified.
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const version = require('plotly.js/package.json').version;

esbuild.build({
    entryPoints: ['entry.js'],
    outfile: 'plotly-cbec.min.js',
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'eof',
    banner: { js: `/*! plotly.js v${version} (MIT License, Plotly, Inc.): a partial bundle of scatter, bar, box, contour` +
                  ' and scatterpolar for cbec-benchmark reports; rebuilt by app/report/plotly_bundle/build.sh */' },
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'info',
}).catch(() => process.exit(1));
