// Package attempts records login attempts in KAZOO's MODbs and lists them
// for the failure log.
//
// # Documents
//
// An attempt is a KAZOO login_attempt document (auth_type, status,
// auth_module, message, client_ip, client_headers, crossbar_request_id,
// timestamp, metadata, pvt_*) plus this module's reason code and
// structured details, stored in the account's MODb of the attempt's
// month. Attempt.Document builds it and drops secrets: see Attempt.
//
// # Ids and redelivery
//
// Ids are YYYYMM-<32 hex>. An attempt with a Key (the AMQP Msg-ID of the
// event) gets IDFor(time, account + ":" + Key), so the same event recorded
// twice, by a redelivery or by two replicas, has one id and is stored once:
// the second write finds the id taken and reports success. The month comes
// from the attempt's time; pass the event's own time so that a redelivery
// after midnight on the last day of a month maps to the same id.
//
// # Writing
//
// Recorder.Record writes one attempt; Recorder.RecordBatch writes many in
// one _bulk_docs request per MODb. With RecorderOptions.BatchWindow,
// concurrent Records of an account are joined into one request.
//
// # Listing
//
// Service.List reads the listing views of the MODbs of the months in
// range, newest month first, each backwards by [timestamp, id], and stops
// when the page is full. A single filter uses the by_field index
// ([field, value, timestamp, id]); a search and further filters are
// matched on the rows read, in chunks. One List reads at most
// ServiceOptions.MaxScan rows (MaxScanAll when unpaginated): a rare
// match may then give a short page with a NextStartKey to go on from.
// Start keys are opaque (base64url of {"t": timestamp, "i": id}) and name
// the row a page ended on, so the next page starts right after it,
// whatever was recorded since.
package attempts
