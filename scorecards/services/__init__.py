"""Everything that writes scorecard data outside the engine, one transaction each."""
