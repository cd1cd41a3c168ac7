// Placeholder object for builds without obligations.
