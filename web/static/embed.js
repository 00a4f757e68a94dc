"use strict";
// embed.html is index.html in embed mode, with the same URL options.
location.replace("index.html" + (location.search ? location.search + "&" : "?") + "embed=1" + location.hash);
