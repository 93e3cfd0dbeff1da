"""devdoctor's built-in checks, registered in the `devdoctor.checks` entry-point group like any plugin."""
