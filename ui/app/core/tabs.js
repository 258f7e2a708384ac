/*
 * tabs: the WAI-ARIA tabs pattern for a role=tablist of buttons, each
 * role=tab with aria-controls naming its role=tabpanel. Only the selected
 * tab is in the Tab order; Left/Right arrows move and select (wrapping),
 * Home/End jump to the ends. onSelect(name) runs when a tab is selected,
 * name being the tab's data-tab.
 */
define(function() {
	'use strict';

	function bind(tablist, onSelect) {
		var tabs = Array.prototype.slice.call(tablist.querySelectorAll('[role="tab"]'));

		function select(tab, focus) {
			tabs.forEach(function(t) {
				var on = t === tab;
				t.setAttribute('aria-selected', on ? 'true' : 'false');
				t.tabIndex = on ? 0 : -1;
				document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
			});
			if (focus) {
				tab.focus();
			}
			onSelect(tab.getAttribute('data-tab'));
		}

		tablist.addEventListener('click', function(event) {
			var tab = event.target.closest('[role="tab"]');
			if (tab) {
				select(tab, false);
			}
		});

		tablist.addEventListener('keydown', function(event) {
			var i = tabs.indexOf(document.activeElement);
			var next = {
				ArrowRight: (i + 1) % tabs.length,
				ArrowLeft: (i - 1 + tabs.length) % tabs.length,
				Home: 0,
				End: tabs.length - 1
			}[event.key];
			if (i < 0 || next === undefined) {
				return;
			}
			event.preventDefault();
			select(tabs[next], true);
		});

		select(tabs[0], false);
		return {
			select: function(name) {
				var tab = tabs.filter(function(t) { return t.getAttribute('data-tab') === name; })[0];
				if (tab) {
					select(tab, true);
				}
			}
		};
	}

	return { bind: bind };
});
