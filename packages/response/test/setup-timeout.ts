// Tests against a real dockerd and local HTTP servers need more than jest's 5 s on a loaded machine.
jest.setTimeout(60000);
