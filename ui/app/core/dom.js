/*
 * dom: the few DOM helpers the controllers share, so that neither host
 * needs jQuery.
 */
define(function() {
	'use strict';

	function one(root, selector) {
		return root.querySelector(selector);
	}

	function all(root, selector) {
		return Array.prototype.slice.call(root.querySelectorAll(selector));
	}

	// on listens on root for events of type whose target is inside an
	// element matching selector (within root); handler gets (event, match).
	function on(root, type, selector, handler) {
		root.addEventListener(type, function(event) {
			var match = event.target.closest ? event.target.closest(selector) : null;
			if (match && root.contains(match)) {
				handler(event, match);
			}
		});
	}

	// formValues reads a form's enabled controls into a plain object keyed
	// by control name: checkboxes sharing a name give an array of the
	// checked values, a lone checkbox gives a boolean, others a string.
	function formValues(form) {
		var values = {};
		var counts = {};
		var controls = Array.prototype.slice.call(form.elements);
		controls.forEach(function(el) {
			if (el.name && el.type === 'checkbox') {
				counts[el.name] = (counts[el.name] || 0) + 1;
			}
		});
		controls.forEach(function(el) {
			if (!el.name || el.disabled) {
				return;
			}
			if (el.type === 'checkbox' && counts[el.name] > 1) {
				values[el.name] = values[el.name] || [];
				if (el.checked) {
					values[el.name].push(el.value);
				}
			} else if (el.type === 'checkbox') {
				values[el.name] = el.checked;
			} else if (el.type !== 'submit' && el.type !== 'button') {
				values[el.name] = el.value;
			}
		});
		return values;
	}

	// download hands blob to the browser as a file named filename.
	function download(blob, filename) {
		var url = URL.createObjectURL(blob);
		var a = document.createElement('a');
		a.href = url;
		a.download = filename;
		a.hidden = true;
		document.body.appendChild(a);
		a.click();
		a.remove();
		setTimeout(function() { URL.revokeObjectURL(url); }, 0);
	}

	// copyText puts input's value on the clipboard; the Promise says
	// whether it worked. The text is left selected either way.
	function copyText(input) {
		input.select();
		if (!navigator.clipboard) {
			return Promise.resolve(false);
		}
		return navigator.clipboard.writeText(input.value).then(function() {
			return true;
		}, function() {
			return false;
		});
	}

	return {
		one: one,
		all: all,
		on: on,
		formValues: formValues,
		download: download,
		copyText: copyText
	};
});
