/*
 * dialog: modal dialogs on the native <dialog> element, rendered from the
 * app's views so they look the same in both hosts. Escape closes; focus
 * returns to whatever had it before the dialog opened.
 */
define(function() {
	'use strict';

	// open shows the <dialog> of html as a modal, appended to root, after
	// prepare(dialog) (optional) has filled it in. The Promise resolves with
	// the dialog's returnValue once it closes (a <form method="dialog">
	// button sets it; Escape leaves it empty).
	function open(root, html, prepare) {
		var opener = document.activeElement;
		var holder = document.createElement('div');
		holder.innerHTML = html;
		var dialog = holder.querySelector('dialog');
		root.appendChild(dialog);
		if (prepare) {
			prepare(dialog);
		}
		return new Promise(function(resolve) {
			dialog.addEventListener('close', function() {
				dialog.remove();
				if (opener && opener.focus && document.contains(opener)) {
					opener.focus();
				}
				resolve(dialog.returnValue);
			});
			dialog.showModal();
		});
	}

	// confirm asks a yes/no question (data: title, message, confirmLabel)
	// with the dialog-confirm view; resolves true for yes only.
	function confirm(root, render, data) {
		return open(root, render('dialog-confirm', data)).then(function(value) {
			return value === 'confirm';
		});
	}

	return { open: open, confirm: confirm };
});
