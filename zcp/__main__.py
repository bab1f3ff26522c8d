from zcp.cli import main

main()
