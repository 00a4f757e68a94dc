// Empty: lets stsync.go declare a function without a body (go:linkname).
