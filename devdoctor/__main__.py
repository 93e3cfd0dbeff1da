from devdoctor.cli import main

main()
