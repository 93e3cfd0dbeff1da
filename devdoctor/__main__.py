from devdoctor.entry import main

main()
